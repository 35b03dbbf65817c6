using System.Security.Cryptography;
using System.Text;
using PdfSharp.Pdf;

namespace VirtualBranch.Host.ESign;

/// <summary>
/// Saves a PDFsharp 6.2.4 document so that its bytes depend only on its content. PDFsharp otherwise writes the time of
/// saving (as /CreationDate and in the XMP metadata), a random document ID (the trailer's /ID, the XMP DocumentID and
/// InstanceID) and a random six-letter tag on every embedded font subset. Each is pinned here: the date to a fixed
/// instant (when the contract was signed is the case's <c>ContractSigned</c> event and the signature's business, not
/// the PDF's), the IDs and tags to a hash of the content.
/// </summary>
internal static class PinnedPdf
{
    public static readonly DateTime Created = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string[] XmpIds = ["<xmpMM:DocumentID>uuid:", "<xmpMM:InstanceID>uuid:"];

    public static byte[] Save(PdfDocument document, byte[] fingerprint)
    {
        // A UTC date is written as +00'00' and Z whatever the machine's time zone.
        document.Info.CreationDate = Created;
        document.Info.Creator = "VirtualBranch";
        var id = Encoding.Latin1.GetString(fingerprint, 0, 16);
        document.Internals.FirstDocumentID = id;
        document.Internals.SecondDocumentID = id;
        TagSubsets(document, fingerprint);
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        var pdf = output.ToArray();
        // The XMP packet is made inside Save, so its IDs are replaced in the bytes: same length, uncompressed, written last.
        var hex = Convert.ToHexStringLower(fingerprint, 0, 16); // the trailer's ID, as a UUID
        var uuid = Encoding.ASCII.GetBytes($"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}");
        foreach (var opening in XmpIds)
        {
            var at = pdf.AsSpan().LastIndexOf(Encoding.ASCII.GetBytes(opening));
            var value = at + opening.Length;
            if (at < 0 || value + uuid.Length >= pdf.Length || pdf[value + uuid.Length] != (byte)'<')
            {
                throw new InvalidOperationException($"PDFsharp wrote no {opening}<uuid> in the XMP metadata; the pinning in {nameof(PinnedPdf)} no longer matches it.");
            }
            uuid.CopyTo(pdf, value);
        }
        return pdf;
    }

    // "ABCDEF+Name" on each font, its descendant and its descriptor, with a tag from the content instead of a random one.
    private static void TagSubsets(PdfDocument document, byte[] fingerprint)
    {
        foreach (var dictionary in document.Internals.GetAllObjects().OfType<PdfDictionary>())
        {
            foreach (var key in (string[])["/BaseFont", "/FontName"])
            {
                if (dictionary.Elements.GetName(key) is { Length: > 8 } name && name[7] == '+')
                {
                    var hash = SHA256.HashData([.. fingerprint, .. Encoding.UTF8.GetBytes(name[8..])]);
                    dictionary.Elements.SetName(key, $"/{string.Concat(hash.Take(6).Select(b => (char)('A' + b % 26)))}+{name[8..]}");
                }
            }
        }
    }
}
