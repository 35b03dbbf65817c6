using System.Security.Cryptography;
using System.Text;

namespace VirtualBranch.Engine.Runtime;

/// <summary>A hash that is the same in every process and on every machine (string.GetHashCode is not).</summary>
public static class StableHash
{
    public static int Of(string text) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0) & int.MaxValue;
}
