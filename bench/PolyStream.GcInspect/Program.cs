using PolyStream.GcInspect;

// polystream-gcinspect pauses TRACE.nettrace | survivors DUMP [DAC]: see eng/measure-gc.sh and docs/performance.md.
return args switch
{
    ["pauses", var trace] => PauseReport.Print(trace, Console.Out),
    ["survivors", var dump] => SurvivorReport.Print(dump, dataAccess: null, Console.Out),
    ["survivors", var dump, var dataAccess] => SurvivorReport.Print(dump, dataAccess, Console.Out),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: PolyStream.GcInspect pauses TRACE.nettrace | survivors DUMP [libmscordaccore.so]");
    return 2;
}
