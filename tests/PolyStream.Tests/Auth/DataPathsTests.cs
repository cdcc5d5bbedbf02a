using PolyStream.Auth;

namespace PolyStream.Tests.Auth;

public sealed class DataPathsTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Resolve_NothingSet_UsesXdgDefaultsUnderHome()
    {
        var paths = DataPaths.Resolve(environment: Env(("HOME", "/home/ana")));

        Assert.Equal("/home/ana/.config/polystream", paths.ConfigDirectory);
        Assert.Equal("/home/ana/.local/share/polystream", paths.DataDirectory);
        Assert.Equal("/home/ana/.config/polystream/credentials.json", paths.CredentialsFile);
    }

    [Fact]
    public void Resolve_XdgVariables_AreHonoured()
    {
        var paths = DataPaths.Resolve(environment: Env(("HOME", "/home/ana"), ("XDG_CONFIG_HOME", "/cfg"), ("XDG_DATA_HOME", "/data")));

        Assert.Equal("/cfg/polystream", paths.ConfigDirectory);
        Assert.Equal("/data/polystream", paths.DataDirectory);
    }

    [Fact]
    public void Resolve_HomeVariable_PutsEverythingUnderIt()
    {
        var paths = DataPaths.Resolve(environment: Env(("HOME", "/home/ana"), (DataPaths.HomeVariable, "/srv/ps")));

        Assert.Equal("/srv/ps", paths.ConfigDirectory);
        Assert.Equal("/srv/ps", paths.DataDirectory);
    }

    [Fact]
    public void Resolve_CommandLineDirectory_WinsOverEverything()
    {
        var paths = DataPaths.Resolve("/tmp/override", Env((DataPaths.HomeVariable, "/srv/ps")));

        Assert.Equal("/tmp/override", paths.ConfigDirectory);
    }
}
