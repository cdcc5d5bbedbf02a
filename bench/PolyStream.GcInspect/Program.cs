using PolyStream.GcInspect;

// PolyStream.GcInspect pauses TRACE.nettrace | survivors DUMP [DAC]: see eng/measure-gc.sh and docs/performance.md.
const string Usage = "usage: PolyStream.GcInspect pauses TRACE.nettrace | survivors DUMP [libmscordaccore.so]";
var (command, path, dataAccess) = args switch
{
    ["pauses", var trace] => ("pauses", trace, null),
    ["survivors", var dump] => ("survivors", dump, null),
    ["survivors", var dump, var library] => ("survivors", dump, library),
    _ => (null, null, (string?)null),
};
if (command is null || path is null)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

if (!File.Exists(path))
{
    Console.Error.WriteLine($"PolyStream.GcInspect: no file '{path}'. {Usage}");
    return 2;
}

try
{
    return command == "pauses" ? PauseReport.Print(path, Console.Out) : SurvivorReport.Print(path, dataAccess, Console.Out);
}
catch (Exception ex) when (ex is IOException or InvalidOperationException or InvalidDataException or NotSupportedException or FormatException or Microsoft.Diagnostics.Runtime.ClrDiagnosticsException)
{
    // A file that is not a trace or a dump of a .NET process, or one cut short.
    Console.Error.WriteLine($"PolyStream.GcInspect: cannot read '{path}': {ex.Message}");
    return 1;
}
