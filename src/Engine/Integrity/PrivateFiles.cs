namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// Folders and files only the service's own account can read: evidence and recordings are customers' faces and papers,
/// so folders are 0700 and files 0600 from the moment they exist (never created wider and narrowed later). Windows
/// keeps its inherited ACLs.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder (and its missing parents) as 0700, and narrows it to 0700 if it was already there.</summary>
    public static void Folder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, OwnerOnlyFolder);
        File.SetUnixFileMode(path, OwnerOnlyFolder); // an older install made it 0755
    }

    /// <summary>A new file, 0600, to write.</summary>
    public static FileStream Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }
        return new FileStream(path, options);
    }

    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellation)
    {
        await using var file = Create(path);
        await file.WriteAsync(content, cancellation);
    }
}
