
namespace PolyStream.Cli;

/// <summary>The process exit codes every verb uses (docs/cli.md states the contract).</summary>
internal static class ExitCodes
{
    /// <summary>The work succeeded, or ran until it was stopped, or its reader closed standard output.</summary>
    public const int Ok = 0;

    /// <summary>The work ran and failed, or found a problem (a hash mismatch, a lost connection).</summary>
    public const int Failure = 1;

    /// <summary>The command line or its input could not be used.</summary>
    public const int Usage = 2;

    /// <summary>A SIGINT or SIGTERM cut short work that has an end of its own (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
