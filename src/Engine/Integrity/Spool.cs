namespace VirtualBranch.Engine.Integrity;

/// <summary>Private temporary files: a copy of a stream that can only be read once, or room to write and read back; removed when closed.</summary>
public static class Spool
{
    /// <summary>Copies the content into a 0600 temporary file and answers it, positioned at its start.</summary>
    public static async Task<Stream> CopyAsync(Stream content, CancellationToken cancellation)
    {
        var file = Empty();
        try
        {
            await content.CopyToAsync(file, cancellation);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>An empty 0600 temporary file to write to and read back, removed when it is closed.</summary>
    public static Stream Empty()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFiles.OwnerOnlyFile; // customers' faces, even for a moment
        }
        return new FileStream(Path.Combine(Path.GetTempPath(), $"vb-spool-{Guid.NewGuid():N}"), options);
    }
}
