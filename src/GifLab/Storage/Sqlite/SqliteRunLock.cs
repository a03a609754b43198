using System.Globalization;

namespace GifLab.Storage.Sqlite;

/// <summary>
/// One <c>giflab run</c> at a time per SQLite database: the run holds an exclusive lock (<c>flock</c>, which the kernel
/// drops when the process dies, even by SIGKILL) on <c>DB.run-lock</c> beside the database. A second run on the same
/// file refuses with a clear message instead of executing every run a second time. Reading commands (<c>stats</c>,
/// <c>export</c>, …) take no lock. Where the lock file cannot be created at all (read-only folder), no lock is taken
/// and the database reports its own error.
/// </summary>
public sealed class SqliteRunLock : IDisposable
{
    private readonly FileStream _file;

    private SqliteRunLock(FileStream file) => _file = file;

    public static string PathFor(string dbPath) => Path.GetFullPath(dbPath) + ".run-lock";

    /// <summary>Takes the lock; null when it cannot be created (the store will report why).</summary>
    /// <exception cref="StorageUnavailableException">Another process holds it.</exception>
    public static SqliteRunLock? Acquire(string dbPath)
    {
        var path = PathFor(dbPath);
        FileStream file;
        try
        {
            // FileShare.None is an exclusive, non-blocking flock on Unix (and a sharing lock on Windows).
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path) && IsHeld(path))
        {
            throw new StorageUnavailableException(dbPath,
                $"another `giflab run`{Holder(path)} is writing to this SQLite database; two runs on one file would each execute every run. " +
                "Wait for it to finish (then rerun: it does only what is missing), give this run its own --db and combine the files with `giflab merge`, " +
                "or use PostgreSQL, where any number of runs share the work.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        try
        {
            file.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            file.Write(pid);
            file.Flush();
        }
        catch (IOException) { /* the PID is only a hint for the message */ }
        return new SqliteRunLock(file);
    }

    /// <summary>Whether the lock is held by another open (as opposed to the file being unopenable for another reason).</summary>
    private static bool IsHeld(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (UnauthorizedAccessException) { return false; }
        catch (IOException) { return true; }
    }

    /// <summary>" (pid N)" from the lock file, where readable.</summary>
    private static string Holder(string path)
    {
        try
        {
            var pid = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path)).Trim();
            return int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? $" (pid {n})" : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    public void Dispose() => _file.Dispose();
}
