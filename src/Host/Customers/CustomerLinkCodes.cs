using Marten;

namespace VirtualBranch.Host.Customers;

/// <summary>A link's code as the Host keeps it: only its HMAC, the case, the link and the contact it went to.</summary>
public sealed class CustomerLinkRecord
{
    /// <summary>HMAC of the code (the code itself is only in the message to the customer).</summary>
    public string Id { get; set; } = "";

    public Guid CaseId { get; set; }

    public string LinkId { get; set; } = "";

    /// <summary>
    /// The full contact, for sending the codes that open the link and confirm steps: stored sealed under the case's key
    /// (<see cref="Privacy.PersonalDataKeys"/>), read back opened, erased with the case's personal data.
    /// </summary>
    public string Contact { get; set; } = "";

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Whose link: the customer's, or an invited participant's (<see cref="Engine.Activities.Roles.Participant"/>).</summary>
    public string Party { get; set; } = Engine.Activities.Roles.Customer;
}

/// <summary>Makes a link's code, keeps its record and sends the link to the customer.</summary>
public sealed class CustomerLinkCodes(IDocumentStore store, OneTimeCodes codes, ICustomerMessenger messenger, Privacy.PersonalDataKeys personalData)
{
    private const string Scope = "link";

    public string Channel => messenger.Channel;

    public async Task<MessageReceipt> SendAsync(Guid caseId, string linkId, string contact, DateTimeOffset expires, string origin, CancellationToken cancellation) =>
        await SendAsync(new CustomerLinkRecord { CaseId = caseId, LinkId = linkId, Contact = contact, ExpiresAt = expires }, origin,
            url => $"【远程银行】请打开链接办理您的业务，两小时内有效，仅限本人使用，请勿转发：{url}", cancellation);

    /// <summary>An invited participant's link: it opens the case's video room for them and nothing else.</summary>
    public async Task<MessageReceipt> SendToParticipantAsync(Guid caseId, string linkId, string contact, DateTimeOffset expires, string origin, CancellationToken cancellation) =>
        await SendAsync(new CustomerLinkRecord { CaseId = caseId, LinkId = linkId, Contact = contact, ExpiresAt = expires, Party = Engine.Activities.Roles.Participant }, origin,
            url => $"【远程银行】银行柜员邀请您加入一次视频业务（协助办理），两小时内有效，仅限本人使用，请勿转发：{url}", cancellation);

    private async Task<MessageReceipt> SendAsync(CustomerLinkRecord record, string origin, Func<string, string> text, CancellationToken cancellation)
    {
        var code = OneTimeCodes.NewLinkCode();
        record.Id = codes.Hash(Scope, code);
        await using (var session = store.LightweightSession())
        {
            session.Insert(new CustomerLinkRecord
            {
                Id = record.Id, CaseId = record.CaseId, LinkId = record.LinkId, ExpiresAt = record.ExpiresAt, Party = record.Party,
                Contact = await personalData.SealAsync(record.CaseId, record.Contact, cancellation),
            });
            await session.SaveChangesAsync(cancellation);
        }
        var url = $"{origin}/customer/?case={record.CaseId}&code={code}";
        return await messenger.SendAsync(new CustomerMessage(record.CaseId, record.Contact, "link", text(url), Url: url), cancellation);
    }

    /// <summary>The link a code opens on this case, or null when the code is unknown or belongs to another case.</summary>
    public async Task<CustomerLinkRecord?> FindAsync(Guid caseId, string code, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var record = await session.LoadAsync<CustomerLinkRecord>(codes.Hash(Scope, code.Trim()), cancellation);
        return record?.CaseId == caseId ? record : null;
    }

    /// <summary>The contact of the link a customer session was opened with.</summary>
    public async Task<string?> ContactAsync(Guid caseId, string linkId, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        return (await session.Query<CustomerLinkRecord>().FirstOrDefaultAsync(r => r.CaseId == caseId && r.LinkId == linkId, cancellation))?.Contact;
    }
}
