using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PolyStream.Cli.Daemon;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream daemon --config FILE</c>: run the streamer unattended under the Generic Host.</summary>
internal static class DaemonCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "JSON configuration (section PolyStream; see docs/daemon.md). Environment variables such as PolyStream__Host override it.", Required = true };
        var command = new Command(
            "daemon",
            "Run unattended: stream the configured books, log structured JSON status lines, stop cleanly on SIGTERM or Ctrl+C.\n\n"
            + "Examples:\n"
            + "  polystream daemon --config samples/polystream.daemon.json\n"
            + "  PolyStream__Host=http://127.0.0.1:8081 polystream daemon --config polystream.json")
        {
            config,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var file = result.GetRequiredValue(config);
            if (!file.Exists)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"polystream daemon: no configuration at '{file.FullName}'. See docs/daemon.md for an example.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddJsonFile(file.FullName, optional: false, reloadOnChange: false).AddEnvironmentVariables();
            builder.Logging.AddJsonConsole(json => json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ");
            builder.Services.Configure<DaemonSettings>(builder.Configuration.GetSection("PolyStream"));
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(15));
            builder.Services.AddHostedService<StreamingService>();
            using var host = builder.Build();
            Environment.ExitCode = ExitCodes.Ok;
            try
            {
                await host.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"polystream daemon: the configuration is not valid JSON: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            return Environment.ExitCode;
        });
        return command;
    }
}
