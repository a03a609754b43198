using System.Runtime.InteropServices;

namespace GifLab.Discovery;

/// <summary>The kind of thing a path names, from <c>statx</c> (links followed).</summary>
public enum InputFileKind
{
    /// <summary>Could not be determined (not Linux, or statx unavailable): callers fall back to the size check.</summary>
    Unknown,
    Regular,
    Directory,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Missing,
}

/// <summary>A path that is not a regular file (FIFO, device, socket, folder): reading it could block for ever or never end.</summary>
public sealed class NotARegularFileException(string path, InputFileKind kind)
    : IOException($"'{path}' is {Describe(kind)}, not a regular file; only regular files are read")
{
    public InputFileKind Kind { get; } = kind;

    internal static string Describe(InputFileKind kind) => kind switch
    {
        InputFileKind.Fifo => "a FIFO (named pipe)",
        InputFileKind.CharacterDevice => "a character device",
        InputFileKind.BlockDevice => "a block device",
        InputFileKind.Socket => "a socket",
        InputFileKind.Directory => "a folder",
        _ => "not a regular file (size 0: empty, or a FIFO or device)",
    };
}

/// <summary>
/// Reading untrusted input files: only regular files, checked before opening (opening a FIFO blocks until a writer
/// appears; <c>/dev/zero</c> never ends), and never more than a cap read into memory. Every command that reads a GIF
/// given by the user (<c>run</c>, <c>features</c>, <c>predict</c>, <c>measure</c>) goes through here.
/// </summary>
public static partial class InputFile
{
    /// <summary>Largest input GIF read (the scanner's limit too).</summary>
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    /// <summary>What <paramref name="path"/> is (symlinks followed).</summary>
    public static InputFileKind KindOf(string path)
    {
        if (!OperatingSystem.IsLinux()) return InputFileKind.Unknown;
        try
        {
            return Statx(path);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return InputFileKind.Unknown;
        }
    }

    /// <summary>
    /// Throws unless <paramref name="path"/> is a regular, non-empty file no larger than <paramref name="maxBytes"/>;
    /// returns its length.
    /// </summary>
    /// <exception cref="FileNotFoundException">It does not exist.</exception>
    /// <exception cref="NotARegularFileException">A FIFO, device, socket or folder (or, where the kind is unknown, size 0).</exception>
    /// <exception cref="InputTooLargeException">Larger than <paramref name="maxBytes"/>.</exception>
    public static long CheckRegular(string path, long maxBytes = DefaultMaxBytes)
    {
        var kind = KindOf(path);
        if (kind == InputFileKind.Missing) throw new FileNotFoundException($"'{path}' does not exist", path);
        if (kind is not (InputFileKind.Regular or InputFileKind.Unknown)) throw new NotARegularFileException(path, kind);
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"'{path}' does not exist", path);
        // Where the kind is unknown, size 0 covers FIFOs and devices (stat reports 0 for them).
        if (kind == InputFileKind.Unknown && info.Length == 0) throw new NotARegularFileException(path, InputFileKind.Unknown);
        if (info.Length > maxBytes) throw new InputTooLargeException(path, info.Length, maxBytes);
        return info.Length;
    }

    /// <summary>
    /// Reads a regular file whole, refusing FIFOs and devices before opening them and never reading more than
    /// <paramref name="maxBytes"/> (a file that grows past the cap while read is refused too).
    /// </summary>
    public static byte[] ReadAllBytes(string path, long maxBytes = DefaultMaxBytes)
    {
        var length = CheckRegular(path, maxBytes);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[length];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length) return buffer[..read]; // shrank meanwhile
        if (stream.ReadByte() >= 0) throw new InputTooLargeException(path, length + 1, maxBytes, grew: true);
        return buffer;
    }

    private static unsafe InputFileKind Statx(string path)
    {
        const int AtFdCwd = -100, StatxType = 1, Enoent = 2, Enotdir = 20;
        byte* buffer = stackalloc byte[256];
        if (StatxNative(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is Enoent or Enotdir ? InputFileKind.Missing : InputFileKind.Unknown;
        }
        var mode = *(ushort*)(buffer + 28); // struct statx: stx_mode at offset 28 on every architecture
        return (mode & 0xF000) switch
        {
            0x8000 => InputFileKind.Regular,
            0x4000 => InputFileKind.Directory,
            0x1000 => InputFileKind.Fifo,
            0x2000 => InputFileKind.CharacterDevice,
            0x6000 => InputFileKind.BlockDevice,
            0xC000 => InputFileKind.Socket,
            _ => InputFileKind.Unknown,
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatxNative(int dirfd, string path, int flags, uint mask, byte* buffer);
}

/// <summary>An input file over the size cap.</summary>
public sealed class InputTooLargeException(string path, long length, long maxBytes, bool grew = false)
    : IOException(grew
        ? $"'{path}' grew past the {maxBytes:N0}-byte limit while it was read"
        : $"'{path}' is {length:N0} bytes, over the {maxBytes:N0}-byte limit")
{
    public long Length { get; } = length;
    public long MaxBytes { get; } = maxBytes;
}
