namespace SuperApp.Tests.Infrastructure;

/// <summary>
/// Gives every POST a fresh Idempotency-Key unless the test set one, as a well-behaved client
/// does; tests of the key rules use clients without this handler.
/// </summary>
public sealed class AutoIdempotencyKeys : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && !request.Headers.Contains("Idempotency-Key"))
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }

        return base.SendAsync(request, cancellationToken);
    }
}
