using System.Net;
using System.Text.Json;

namespace PolyStream.Rest;

public sealed partial class ClobClient
{
    /// <summary>
    /// Sends one call under the rate limits, retrying a 429, a 5xx or an unanswered attempt with
    /// exponential backoff and full jitter (or the venue's <c>Retry-After</c>), and returns the body.
    /// </summary>
    private async Task<byte[]> SendAsync(HttpMethod method, string path, string? query, string? body, RequestAuth auth, CancellationToken cancellationToken)
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
                    // Signed headers carry a timestamp, so every attempt builds a fresh request.
                    using var request = CreateRequest(method, path, query, body, auth);
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

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } venueWait)
        {
            return venueWait < _options.MaxRetryDelay ? venueWait : _options.MaxRetryDelay;
        }

        // Full jitter: a uniform wait up to base·2^attempt, so clients that failed together do not retry together.
        var ceiling = Math.Min(_options.MaxRetryDelay.TotalMilliseconds, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
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
