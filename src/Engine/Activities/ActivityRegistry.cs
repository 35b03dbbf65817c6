namespace VirtualBranch.Engine.Activities;

/// <summary>Every activity type the engine can run, by the name definitions use.</summary>
public sealed class ActivityRegistry
{
    private readonly Dictionary<string, IActivity> _byType;

    public ActivityRegistry(IEnumerable<IActivity> activities)
    {
        _byType = new Dictionary<string, IActivity>(StringComparer.Ordinal);
        foreach (var activity in activities)
        {
            if (!_byType.TryAdd(activity.Descriptor.Type, activity))
            {
                throw new InvalidOperationException(
                    $"Two activities claim the type '{activity.Descriptor.Type}': {_byType[activity.Descriptor.Type].GetType().FullName} and {activity.GetType().FullName}.");
            }
        }
    }

    public IActivity? Find(string type) => _byType.GetValueOrDefault(type);

    public IActivity Get(string type) => Find(type) ?? throw new KeyNotFoundException($"No activity of type '{type}' is registered.");

    public IEnumerable<IActivity> All => _byType.Values.OrderBy(a => a.Descriptor.Category, StringComparer.Ordinal).ThenBy(a => a.Descriptor.Type, StringComparer.Ordinal);

    public IEnumerable<string> Types => _byType.Keys.Order(StringComparer.Ordinal);
}
