using System.Net;
using System.Net.Http.Headers;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

/// <summary>The local servers listen on this machine only, unless told otherwise with a token every request must carry.</summary>
public sealed class RemoteAccessTests
{
    private const string Token = "0123456789abcdef-token";

    // 192.0.2.1 (TEST-NET-1) belongs to no machine: a server that tried to bind it would fail with an IOException, not refuse.
    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(true, "short")]
    public async Task Simulator_HostOtherMachinesReachWithoutOptInAndToken_IsRefused(bool allowRemote, string? token)
    {
        await using var server = new SimulatorServer(new SimulatorOptions { Host = "192.0.2.1", Markets = 1, EventsPerSecond = 0, AllowRemote = allowRemote, AccessToken = token });

        await Assert.ThrowsAsync<ArgumentException>(() => server.StartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RecordingServer_HostOtherMachinesReachWithoutOptIn_IsRefused()
    {
        var directory = Directory.CreateTempSubdirectory("polystream-remote-").FullName;
        try
        {
            await using (var writer = PolyStream.Recording.RecordingWriter.Start(new PolyStream.Recording.RecordingWriterOptions { Directory = directory }))
            {
                writer.Append("{}"u8.ToArray(), 1, 0);
            }

            await using var server = new RecordingServer(new RecordingServerOptions { Recording = directory, Host = "192.0.2.1" });

            await Assert.ThrowsAsync<ArgumentException>(() => server.StartAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Simulator_WithAccessToken_AnswersOnlyRequestsCarryingIt()
    {
        await using var server = new SimulatorServer(new SimulatorOptions { Markets = 1, EventsPerSecond = 0, AccessToken = Token });
        await server.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };

        using var without = await http.GetAsync(new Uri("time", UriKind.Relative), TestContext.Current.CancellationToken);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri("time", UriKind.Relative)) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token + "x") } };
        using var wrongAnswer = await http.SendAsync(wrong, TestContext.Current.CancellationToken);
        using var right = new HttpRequestMessage(HttpMethod.Get, new Uri("time", UriKind.Relative)) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } };
        using var rightAnswer = await http.SendAsync(right, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rightAnswer.StatusCode);
    }

    [Fact]
    public async Task SimCommand_HostOtherMachinesReach_OneLineAndExit2()
    {
        var (code, _, error) = await CliRunner.RunAsync("sim", "--host", "192.0.2.1", "--port", "0");

        Assert.Equal(2, code);
        Assert.Contains("--allow-remote", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
