namespace SuperApp.Platform.Http;

public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>Proxies whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed. Anyone else's are ignored.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Origins allowed by CORS; none means browsers on other origins are refused.</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>Largest request body accepted (uploads set their own larger limit).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
