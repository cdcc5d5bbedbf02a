using System.Runtime.InteropServices;

namespace PolyStream.Auth;

/// <summary>The three libc calls a folder fsync needs.</summary>
internal static partial class PosixFolder
{
    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    internal static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    internal static partial int Close(int descriptor);
}
