
namespace PolyStream.Auth;

/// <summary>The credentials file is missing, unreadable, malformed, or readable by others.</summary>
public sealed class CredentialFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CredentialFileException()
    {
    }

    /// <summary>Creates the exception with a message that says what to do.</summary>
    public CredentialFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CredentialFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
