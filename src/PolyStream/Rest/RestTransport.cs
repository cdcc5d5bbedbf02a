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

    /// <summary>The most redirects one call follows.</summary>
    private const int MaxRedirects = 5;

    public RestTransport(Uri host, ClobClientOptions options, RateLimits limits, HttpClient? httpClient)
    {
        TransportSecurity.Require(host, options.AllowInsecureTransport);
        _options = options;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient(CreateHandler());
        _limits = options.EnforceRateLimits ? limits : null;
    }

    /// <summary>
    /// The handler of a transport that owns its client: it decompresses, and leaves redirects to
    /// <see cref="SendAsync"/>, which will not carry <c>POLY_*</c> credentials to another host.
    /// </summary>
    internal static SocketsHttpHandler CreateHandler() => new()
    {
        AutomaticDecompression = DecompressionMethods.All,
        AllowAutoRedirect = false,
    };

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
                    using var response = await SendFollowingRedirectsAsync(endpoint, createRequest, attemptTimeout.Token).ConfigureAwait(false);
                    var content = await ReadCappedAsync(endpoint, response, _options.MaxResponseBytes, attemptTimeout.Token).ConfigureAwait(false);
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

    /// <summary>
    /// Sends a fresh request per hop and follows up to <see cref="MaxRedirects"/> redirects itself: a request
    /// carrying <c>POLY_*</c> credentials is never sent to another scheme, host or port, and no hop may
    /// downgrade to plain text off this machine.
    /// </summary>
    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(string endpoint, Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        Uri? target = null;
        HttpMethod? method = null;
        for (var hop = 0; ; hop++)
        {
            using var request = createRequest();
            request.Headers.UserAgent.ParseAdd(_options.UserAgent);
            if (target is not null)
            {
                request.RequestUri = target;
                if (method is not null)
                {
                    request.Method = method;
                    request.Content = null;
                }
            }

            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location || hop >= MaxRedirects)
            {
                return response;
            }

            using (response)
            {
                target = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
                var refusal = CarriesCredentials(request) && !SameOrigin(request.RequestUri!, target)
                    ? $"redirected to {target.Scheme}://{target.Authority}; the request's POLY_* credentials are not sent to another host"
                    : !_options.AllowInsecureTransport && !TransportSecurity.IsSafe(target)
                        ? $"redirected to plain-text {target.Scheme}://{target.Authority}, which is refused"
                        : null;
                if (refusal is not null)
                {
                    throw new ClobApiException(endpoint, response.StatusCode, refusal);
                }

                // 301, 302 and 303 turn a POST into a GET without a body, as browsers do; 307 and 308 keep both.
                if (response.StatusCode is not (HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect) && request.Method != HttpMethod.Get)
                {
                    method = HttpMethod.Get;
                }
            }
        }
    }

    /// <summary>The body, refused past <paramref name="limit"/> bytes after decompression (the handler's own buffer allows 2 GB).</summary>
    private static async Task<byte[]> ReadCappedAsync(string endpoint, HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            throw TooLarge(endpoint, response, limit);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > limit)
                {
                    throw TooLarge(endpoint, response, limit);
                }

                body.Write(buffer, 0, read);
            }

            return body.ToArray();
        }
    }

    private static ClobApiException TooLarge(string endpoint, HttpResponseMessage response, int limit) =>
        new(endpoint, response.StatusCode, $"the answer is larger than {limit} bytes (MaxResponseBytes) once decompressed", null);

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    private static bool CarriesCredentials(HttpRequestMessage request) =>
        request.Headers.Any(h => h.Key.StartsWith("POLY_", StringComparison.OrdinalIgnoreCase));

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase);

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
