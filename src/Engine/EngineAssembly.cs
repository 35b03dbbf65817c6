namespace VirtualBranch.Engine;

/// <summary>Marks the engine assembly for scanning.</summary>
public static class EngineAssembly;
