using System.Net;

namespace PolyStream.Rest;

/// <summary>A REST call to the venue failed: an error status with the venue's message, or no answer at all.</summary>
public sealed class ClobApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClobApiException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ClobApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ClobApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one failed call.</summary>
    /// <param name="endpoint">The method and path, e.g. <c>GET /book</c>.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when the host did not answer.</param>
    /// <param name="venueMessage">The venue's <c>{"error": …}</c> text, if any.</param>
    /// <param name="innerException">The transport failure, if any.</param>
    public ClobApiException(string endpoint, HttpStatusCode? statusCode, string? venueMessage, Exception? innerException = null)
        : base(Describe(endpoint, statusCode, venueMessage), innerException)
    {
        Endpoint = endpoint;
        StatusCode = statusCode;
        VenueMessage = venueMessage;
    }

    /// <summary>The method and path of the failed call.</summary>
    public string Endpoint { get; } = string.Empty;

    /// <summary>The HTTP status; <see langword="null"/> when the host was unreachable or timed out.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The venue's error message from an <c>{"error": …}</c> body, if it sent one.</summary>
    public string? VenueMessage { get; }

    private static string Describe(string endpoint, HttpStatusCode? statusCode, string? venueMessage) => statusCode switch
    {
        null => $"{endpoint}: the host did not answer. Check the host name and your network, then retry.",
        HttpStatusCode.Unauthorized => $"{endpoint}: 401 {venueMessage ?? "Unauthorized"}. Check the API credentials (polystream auth check); new keys can take ~2 minutes to work.",
        HttpStatusCode.TooManyRequests => $"{endpoint}: 429 rate limited{(venueMessage is null ? string.Empty : $" ({venueMessage})")}; retries were exhausted. Lower the request rate.",
        _ => $"{endpoint}: {(int)statusCode} {venueMessage ?? statusCode.ToString()}",
    };
}
