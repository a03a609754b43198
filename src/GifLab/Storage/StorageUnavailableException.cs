namespace GifLab.Storage;

/// <summary>The database cannot be used: locked past the retry limit, unwritable, corrupt or full.</summary>
public sealed class StorageUnavailableException(string location, string message, Exception? inner = null)
    : Exception($"{location}: {message}", inner)
{
    public string Location { get; } = location;
}
