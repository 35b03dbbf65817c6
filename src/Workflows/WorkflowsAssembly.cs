namespace VirtualBranch.Workflows;

/// <summary>Marks the remote-banking activity library for scanning.</summary>
public static class WorkflowsAssembly;
