using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace SuperApp.Features.Realtime;

/// <summary>
/// SignalR's JSON protocol, except that a hub error reaches the client as the HubException's own
/// message ("CONVERSATION_NOT_FOUND: …") rather than behind SignalR's "An unexpected error occurred
/// invoking …" preamble, so clients can switch on the code the message starts with, as on REST.
/// Errors that are not HubExceptions keep the generic text: their details never leave the server.
/// </summary>
public sealed class CodeFirstHubProtocol(JsonHubProtocol inner) : IHubProtocol
{
    private const string Marker = "HubException: ";

    public string Name => inner.Name;
    public int Version => inner.Version;
    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        inner.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(Unwrap(message), output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(Unwrap(message));

    private static HubMessage Unwrap(HubMessage message) =>
        message is CompletionMessage { Error: { } error } completion && error.IndexOf(Marker, StringComparison.Ordinal) is var at and >= 0
            ? new CompletionMessage(completion.InvocationId!, error[(at + Marker.Length)..], null, false) { Headers = completion.Headers }
            : message;
}
