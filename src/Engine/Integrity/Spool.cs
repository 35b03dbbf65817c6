namespace VirtualBranch.Engine.Integrity;

/// <summary>A private temporary copy of a stream that can only be read once, removed when it is closed.</summary>
public static class Spool
{
    /// <summary>Copies the content into a 0600 temporary file and answers it, positioned at its start.</summary>
    public static async Task<Stream> CopyAsync(Stream content, CancellationToken cancellation)
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
        var file = new FileStream(Path.Combine(Path.GetTempPath(), $"vb-spool-{Guid.NewGuid():N}"), options);
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
}
