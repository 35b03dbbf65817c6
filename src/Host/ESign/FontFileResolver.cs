using PdfSharp.Fonts;

namespace VirtualBranch.Host.ESign;

/// <summary>
/// PDFsharp's font resolver for this process, where a family name is the path of a TrueType font file. PDFsharp takes
/// one resolver per process, set before the first font is used; naming files keeps it right for every Host in the
/// process, whatever fonts each is configured with (see <see cref="ContractFonts"/>).
/// </summary>
internal sealed class FontFileResolver : IFontResolver
{
    private static readonly Lock Registering = new();

    public static void Register()
    {
        lock (Registering)
        {
            if (GlobalFontSettings.FontResolver is not FontFileResolver)
            {
                GlobalFontSettings.FontResolver = new FontFileResolver();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        File.Exists(familyName) ? new FontResolverInfo(familyName) : null;

    public byte[]? GetFont(string faceName) => File.ReadAllBytes(faceName);
}
