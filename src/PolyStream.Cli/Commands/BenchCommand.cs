using System.CommandLine;
using PolyStream.Cli.Bench;

namespace PolyStream.Cli.Commands;

/// <summary>
/// <c>polystream bench</c>: pre-rendered frames of the varied simulator from a child process (or the simulator
/// itself) → <see cref="Streamer"/> over loopback → N subscribers, measuring throughput, latency from frame
/// receipt to delivery, hash checks, CPU, allocation and memory.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var options = new BenchOptions();
        var command = new Command(
            "bench",
            "Measure the streamer on this machine: load → Streamer (loopback WebSocket) → N subscribers.\n"
            + "By default the load is a recording of the varied simulator, rendered once at start and sent from memory by a child process at --rate 69000 steps/s (~200,000 events/s),\n"
            + "so the figures are the streamer's; every frame carries the simulator's hash. --source sim runs the simulator itself instead (in this process at max rate,\n"
            + "or a child one with --sim-process). --output ndjson makes every subscriber format each event as its NDJSON line.\n"
            + "After the books sync, it runs --warmup under load before measuring steady state for --duration.\n"
            + "Prints frames/s, events/s, level updates/s, hash checks/s and mismatches, latency p50/p99/p99.9 from frame receipt to delivery, allocation and CPU per event, GCs and memory.\n\n"
            + "Examples:\n"
            + "  polystream bench\n"
            + "  polystream bench --output ndjson --duration 15s --json\n"
            + "  polystream bench --source sim --sim-process --rate 69000 --json\n"
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
