using System.Security.Cryptography;
using System.Text;

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
}
