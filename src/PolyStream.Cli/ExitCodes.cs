
namespace PolyStream.Cli;

/// <summary>The process exit codes every verb uses.</summary>
internal static class ExitCodes
{
    /// <summary>The work succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The work ran and failed, or found a problem (a hash mismatch, a lost connection).</summary>
    public const int Failure = 1;

    /// <summary>The command line or its input could not be used.</summary>
    public const int Usage = 2;
}
