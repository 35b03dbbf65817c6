using System.IO.Compression;

namespace VirtualBranch.Tests.Support;

/// <summary>Reading and rewriting the entries of a zip, as someone forging an evidence bundle would.</summary>
public static class Zips
{
    /// <summary>Every entry's bytes by its name.</summary>
    public static Dictionary<string, byte[]> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        });
    }

    /// <summary>The zip with one entry changed in place.</summary>
    public static byte[] Rewrite(byte[] zip, string name, Action<byte[]> change)
    {
        var entries = Entries(zip);
        change(entries[name]);
        return Of(entries);
    }

    /// <summary>A zip of exactly these entries.</summary>
    public static byte[] Of(IReadOnlyDictionary<string, byte[]> entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entryName, bytes) in entries)
            {
                using var s = archive.CreateEntry(entryName).Open();
                s.Write(bytes);
            }
        }
        return output.ToArray();
    }
}
