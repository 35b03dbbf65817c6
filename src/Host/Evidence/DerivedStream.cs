using System.Security.Cryptography;
using System.Text;
using Marten;

namespace VirtualBranch.Host.Evidence;

/// <summary>Stable ids for streams that accompany another (an access log, a media audit), never equal to a case's own id.</summary>
public static class DerivedStream
{
    public static Guid For(string purpose, Guid subject)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{purpose}:{subject:N}"))[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>
    /// Appends one entry to such a stream. Entries of one stream come from requests that overlap (two reads of a case at
    /// once, chunks arriving while a recording is sealed), and two appends racing for the same version lose one: the
    /// loser appends again, at the next version.
    /// </summary>
    public static async Task AppendAsync(IDocumentStore store, Guid stream, object entry, string? by, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var session = store.LightweightSession();
                if (by is not null)
                {
                    session.LastModifiedBy = by;
                }
                session.Events.Append(stream, entry);
                await session.SaveChangesAsync(cancellation);
                return;
            }
            catch (Exception ex) when (attempt < 10 && VirtualBranch.Engine.Persistence.CaseStreams.IsConcurrencyConflict(ex))
            {
                // another request appended first
            }
        }
    }
}
