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
            "Run unattended: stream the configured books, log structured JSON status lines (UTC ISO-8601 timestamps), stop cleanly on SIGTERM or Ctrl+C (exit 0).\n"
            + "A configuration it cannot use is one line and exit 2; a service it cannot start (status port taken, NATS unreachable) is exit 1.\n\n"
            + "Examples:\n"
            + "  polystream daemon --config samples/polystream.daemon.json\n"
            + "  PolyStream__Host=http://127.0.0.1:8081 polystream daemon --config polystream.json")
        {
            config,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            var file = result.GetRequiredValue(config);
            if (!file.Exists)
            {
                await error.WriteLineAsync($"polystream daemon: no configuration at '{file.FullName}'. See docs/daemon.md for an example.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            // Read and checked before the host starts: a mistake in the file is the user's, stated once, exit 2.
            IConfigurationRoot configuration;
            DaemonSettings settings;
            try
            {
                configuration = new ConfigurationBuilder().AddJsonFile(file.FullName, optional: false, reloadOnChange: false).AddEnvironmentVariables().Build();
                settings = DaemonSettings.Bind(configuration);
            }
            catch (InvalidDataException ex)
            {
                await error.WriteLineAsync($"polystream daemon: '{file.FullName}' is not a JSON configuration: {ex.InnerException?.Message ?? ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (InvalidOperationException ex)
            {
                await error.WriteLineAsync($"polystream daemon: '{file.FullName}': {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (settings.Problem() is { } problem)
            {
                await error.WriteLineAsync($"polystream daemon: '{file.FullName}': {problem}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddConfiguration(configuration);
            builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
            builder.Logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
            builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(settings));
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(15));
            builder.Services.AddHostedService<StreamingService>();
            using var host = builder.Build();
            Environment.ExitCode = ExitCodes.Ok;
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return Environment.ExitCode;
        });
        return command;
    }
}
