namespace VirtualBranch.Host.Configuration;

/// <summary>The Host cannot start as configured; the message is one line that names the key.</summary>
public sealed class ConfigurationProblemException(string message) : Exception(message);
