using Microsoft.AspNetCore.Http;

namespace PolyStream.Simulator.Server;

/// <summary>A JSON response the REST endpoints build under the engine lock and write after releasing it.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Body">The exact body bytes.</param>
internal readonly record struct HttpReply(int Status, byte[] Body)
{
    public static HttpReply Ok(byte[] body) => new(StatusCodes.Status200OK, body);

    public async Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = Body.Length;
        await context.Response.Body.WriteAsync(Body, context.RequestAborted).ConfigureAwait(false);
    }
}
