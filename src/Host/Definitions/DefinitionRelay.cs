using Marten;
using Npgsql;
using VirtualBranch.Host.Persistence;

namespace VirtualBranch.Host.Definitions;

/// <summary>
/// Makes a version published on one Host live on every Host of the database: the publishing transaction sends the
/// version's key through PostgreSQL <c>NOTIFY</c> (delivered only if it commits), and each Host loads that version into
/// its catalog. After (re)connecting, a Host loads whatever versions it lacks, so a notification missed while its
/// listening connection was down costs nothing.
/// </summary>
public sealed class DefinitionRelay(NpgsqlDataSource database, DefinitionLibrary library, ILogger<DefinitionRelay> log)
    : NotificationListener(database, log)
{
    private const string ChannelName = "vb_definitions_published";

    protected override string Channel => ChannelName;

    /// <summary>Queues the notification of a published version in the session that stores it, so both commit together.</summary>
    public static void Announce(IDocumentSession session, string storedKey) =>
        session.QueueSqlCommand($"select pg_notify('{ChannelName}', ?)", storedKey);

    protected override Task OnListeningAsync(CancellationToken cancellation) => library.LoadStoredAsync(cancellation);

    protected override Task OnNotificationAsync(string payload, CancellationToken cancellation) => library.LoadVersionAsync(payload, cancellation);
}
