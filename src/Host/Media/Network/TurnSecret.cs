using System.Security.Cryptography;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Host.Media.Network;

/// <summary>
/// The secret the Host shares with the TURN server (coturn's <c>static-auth-secret</c>): <c>Media:TurnSecret</c>, or
/// generated on first run into <c>turn-secret</c> in the data directory, where <c>./run.sh</c> reads it for its coturn.
/// Never logged: <see cref="ToString"/> does not show it.
/// </summary>
public sealed class TurnSecret
{
    public const string Key = "Media:TurnSecret";
    public const string FileName = "turn-secret";

    private TurnSecret(string value) => Value = value;

    public string Value { get; }

    public override string ToString() => "(TURN secret)";

    public static TurnSecret Load(IConfiguration configuration, string dataDirectory)
    {
        if (configuration[Key] is { Length: > 0 } configured)
        {
            return new TurnSecret(configured.Trim());
        }
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataDirectory);
            using var file = PrivateFiles.Create(path);
            file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))));
        }
        return new TurnSecret(File.ReadAllText(path).Trim());
    }
}
