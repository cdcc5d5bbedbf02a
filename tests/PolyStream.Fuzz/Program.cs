using System.Globalization;
using PolyStream.Fuzz;

// dotnet run -c Release --project tests/PolyStream.Fuzz -- --target ws-frame|rest-body|recording-block|bus-message|all --inputs 1000000 --seed 1 [--corpus DIR]
var target = "all";
long inputs = 1_000_000;
var seed = 1;
var corpus = Path.Combine(AppContext.BaseDirectory, "Corpus");
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--target" when value is not null:
            target = value;
            i++;
            break;
        case "--inputs" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0:
            inputs = count;
            i++;
            break;
        case "--seed" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
            seed = number;
            i++;
            break;
        case "--corpus" when value is not null:
            corpus = value;
            i++;
            break;
        default:
            await Console.Error.WriteLineAsync($"polystream-fuzz: unknown or incomplete argument '{args[i]}'. Usage: --target {string.Join('|', FuzzTargets.All.Select(t => t.Name))}|all --inputs N --seed N [--corpus DIR]");
            return 2;
    }
}

var chosen = target == "all" ? FuzzTargets.All : FuzzTargets.All.Where(t => t.Name == target).ToList();
if (chosen.Count == 0)
{
    await Console.Error.WriteLineAsync($"polystream-fuzz: no target '{target}'; the targets are {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}.");
    return 2;
}

var failed = false;
foreach (var fuzzTarget in chosen)
{
    var result = FuzzRunner.Run(fuzzTarget, corpus, inputs, seed);
    Console.WriteLine(result);
    if (result.Finding is { } finding)
    {
        await Console.Error.WriteLineAsync($"{fuzzTarget.Name}: {finding}");
        failed = true;
    }
}

return failed ? 1 : 0;
