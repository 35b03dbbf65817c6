namespace VirtualBranch.Host.Customers;

/// <summary>What the bank sends a customer: a link, or a one-time code, to the contact registered on the case.</summary>
public sealed record CustomerMessage(Guid CaseId, string To, string Kind, string Text, string? Url = null, string? Code = null);

/// <summary>The provider took the message: its channel and its own reference, kept in the case's evidence.</summary>
public sealed record MessageReceipt(string Channel, string Reference);

/// <summary>
/// Sends messages to the customer's own device (an SMS or WeChat provider in production). Whatever it sends never comes
/// back to the staff's API: a link or a code reaches the customer only.
/// </summary>
public interface ICustomerMessenger
{
    /// <summary>The channel's name in the evidence (e.g. <c>sms</c>, <c>wechat</c>, <c>local-outbox</c>).</summary>
    string Channel { get; }

    Task<MessageReceipt> SendAsync(CustomerMessage message, CancellationToken cancellation);
}

/// <summary>The messenger could not take the message (provider down, contact refused).</summary>
public sealed class MessageNotSentException(string message, Exception? inner = null) : Exception(message, inner);
