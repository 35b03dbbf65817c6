using System.Xml;

namespace VirtualBranch.Engine.Runtime;

/// <summary>ISO 8601 durations such as <c>PT30M</c> or <c>P3D</c>.</summary>
public static class IsoDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text) || text[0] != 'P')
        {
            return false;
        }
        try
        {
            duration = XmlConvert.ToTimeSpan(text);
            return duration > TimeSpan.Zero;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
