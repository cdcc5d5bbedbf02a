using System.CommandLine;
using PolyStream.Cli.Bench;

namespace PolyStream.Cli.Commands;

/// <summary>
/// <c>polystream bench</c>: the simulator (in this process or a child one, at max or a fixed rate) →
/// <see cref="Streamer"/> over loopback → N subscribers, measuring throughput, latency from frame receipt
/// to delivery, allocation and memory.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var options = new BenchOptions();
        var command = new Command(
            "bench",
            "Measure the whole pipeline on this machine: simulator → Streamer (loopback WebSocket) → N subscribers.\n"
            + "By default the simulator runs in this process at max rate; --sim-process moves it to a child process and --rate offers a fixed load.\n"
            + "After the books sync, it runs --warmup under load before measuring steady state for --duration.\n"
            + "Prints frames/s, events/s, level updates/s, latency p50/p99/p99.9 from frame receipt to delivery, allocation and CPU per event, GCs and memory.\n\n"
            + "Examples:\n"
            + "  polystream bench\n"
            + "  polystream bench --sim-process --rate 100000 --duration 15s --json\n"
            + "  polystream bench --sim-process --rate 69000 --assets-per-connection 50 --json\n"
            + "  polystream bench --duration 60s --subscribers 16 --markets 500 --json\n"
            + "  polystream bench --sim-process --rate 16000 --nats nats://127.0.0.1:4222 --replica --json");
        options.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var settings = options.Read(result);
            var output = result.InvocationConfiguration.Output;
            return options.IsChildSimulator(result)
                ? ChildSimulator.ServeAsync(settings, output, cancellationToken)
                : BenchRunner.RunAsync(settings, output, result.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }
}
