namespace SuperApp.Platform.Errors;

/// <summary>ProblemDetails results with the stable <c>code</c> extension clients switch on.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string code, string title, string? detail = null) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    public static ProblemHttpResult NotFound(string code = "NOT_FOUND", string title = "The resource was not found.") =>
        Of(StatusCodes.Status404NotFound, code, title);

    public static ProblemHttpResult Unauthorized(string code, string title) =>
        Of(StatusCodes.Status401Unauthorized, code, title);

    public static ProblemHttpResult Forbidden(string code, string title, string? detail = null) =>
        Of(StatusCodes.Status403Forbidden, code, title, detail);

    public static ProblemHttpResult Conflict(string code, string title) =>
        Of(StatusCodes.Status409Conflict, code, title);

    public static ProblemHttpResult Unprocessable(string code, string title, string? detail = null) =>
        Of(StatusCodes.Status422UnprocessableEntity, code, title, detail);

    public static ProblemHttpResult Validation(string field, string message) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "One or more validation errors occurred.",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = "VALIDATION_FAILED",
                ["errors"] = new Dictionary<string, string[]> { [field] = [message] },
            });

    /// <summary>The fallback code for a status when nothing more specific was given.</summary>
    public static string CodeFor(int status) => status switch
    {
        400 => "BAD_REQUEST",
        401 => "UNAUTHENTICATED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        405 => "METHOD_NOT_ALLOWED",
        406 => "NOT_ACCEPTABLE",
        409 => "CONFLICT",
        410 => "GONE",
        413 => "PAYLOAD_TOO_LARGE",
        415 => "UNSUPPORTED_MEDIA_TYPE",
        422 => "UNPROCESSABLE",
        423 => "LOCKED",
        429 => "RATE_LIMITED",
        503 => "SERVICE_UNAVAILABLE",
        >= 500 => "INTERNAL_ERROR",
        _ => "ERROR",
    };
}
