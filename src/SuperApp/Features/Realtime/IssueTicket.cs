namespace SuperApp.Features.Realtime;

public sealed record TicketResponse(string Ticket, int ExpiresIn);

public static class IssueTicket
{
    /// <summary>A ticket for the hub, usable in place of the access token until it expires.</summary>
    public static Ok<TicketResponse> Handle(ClaimsPrincipal principal, RealtimeTickets tickets)
    {
        var (ticket, expiresIn) = tickets.Issue(principal.UserId(), principal.SessionId()?.ToString());
        return TypedResults.Ok(new TicketResponse(ticket, expiresIn));
    }
}
