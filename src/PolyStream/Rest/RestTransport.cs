using System.Net;
using System.Text.Json;
using PolyStream.Connections;
using PolyStream.Protocol;

namespace PolyStream.Rest;

/// <summary>
/// Sends REST calls for <see cref="ClobClient"/> and <see cref="GammaClient"/>: paces them to the
/// rate limits and retries a 429, a 5xx or an unanswered attempt with exponential backoff and full
/// jitter, or the venue's <c>Retry-After</c>. Failures become <see cref="ClobApiException"/>.
/// </summary>
internal sealed class RestTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ClobClientOptions _options;
    private readonly RateLimits? _limits;

    public RestTransport(Uri host, ClobClientOptions options, RateLimits limits, HttpClient? httpClient)
    {
        TransportSecurity.Require(host, options.AllowInsecureTransport);
        _options = options;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All });
        _limits = options.EnforceRateLimits ? limits : null;
    }

    /// <summary>
    /// The URL of <paramref name="path"/> relative to the host's own path, so a service behind a prefix (the
    /// simulator's <c>/gamma</c>) works whether or not the host was written with a trailing slash.
    /// </summary>
    public static Uri Resolve(Uri host, string path, string? query)
    {
        var root = host.AbsolutePath.EndsWith('/') ? host : new Uri(host.AbsoluteUri + "/");
        return new Uri(root, (query is null ? path : $"{path}?{query}").TrimStart('/'));
    }

    /// <summary>Sends one call and returns the body of its successful answer.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path, for the rate-limit family and the error's endpoint name.</param>
    /// <param name="createRequest">Builds a fresh request per attempt (signed headers carry a timestamp).</param>
    /// <param name="cancellationToken">Cancels the call and its waits.</param>
    public async Task<byte[]> SendAsync(HttpMethod method, string path, Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        var endpoint = $"{method.Method} {path}";
        for (var attempt = 0; ; attempt++)
        {
            if (_limits is not null)
            {
                await _limits.AcquireAsync(path, cancellationToken).ConfigureAwait(false);
            }

            TimeSpan? retryAfter = null;
            HttpStatusCode? status = null;
            string? venueMessage = null;
            Exception? failure = null;
            using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptTimeout.CancelAfter(_options.RequestTimeout);
                try
                {
                    using var request = createRequest();
                    request.Headers.UserAgent.ParseAdd(_options.UserAgent);
                    using var response = await _http.SendAsync(request, attemptTimeout.Token).ConfigureAwait(false);
                    var content = await response.Content.ReadAsByteArrayAsync(attemptTimeout.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return content;
                    }

                    status = response.StatusCode;
                    venueMessage = ErrorMessage(content);
                    retryAfter = RetryAfter(response);
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    failure = ex;
                }
            }

            var retryable = status is null or HttpStatusCode.TooManyRequests || (int)status >= 500;
            if (!retryable || attempt >= _options.MaxRetries)
            {
                throw new ClobApiException(endpoint, status, venueMessage, failure);
            }

            await Task.Delay(Backoff(attempt, retryAfter), _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } venueWait)
        {
            return venueWait < _options.MaxRetryDelay ? venueWait : _options.MaxRetryDelay;
        }

        return ReconnectBackoff.FullJitter(_options.RetryBaseDelay, _options.MaxRetryDelay, attempt, Random.Shared.NextDouble());
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - _options.TimeProvider.GetUtcNow() : null;
    }

    private static string? ErrorMessage(byte[] content)
    {
        try
        {
            return JsonSerializer.Deserialize(content, RestJsonContext.Default.ErrorBody)?.Error;
        }
        catch (JsonException)
        {
            // Not the venue's JSON error shape (a CDN page, say): keep a short excerpt instead.
            var text = System.Text.Encoding.UTF8.GetString(content.AsSpan(0, Math.Min(content.Length, 200))).Trim();
            return text.Length == 0 ? null : text;
        }
    }
}
