using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;

namespace SuperApp.Platform.Errors;

public static class ErrorsModule
{
    public static IServiceCollection AddErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var problem = ctx.ProblemDetails;
            var status = problem.Status ?? ctx.HttpContext.Response.StatusCode;
            problem.Extensions.Remove("exception");
            problem.Extensions["requestId"] = ctx.HttpContext.TraceIdentifier;
            if (problem is HttpValidationProblemDetails validation)
            {
                // Clients send camelCase JSON; name the fields the way they wrote them.
                var camel = validation.Errors.ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => e.Value);
                validation.Errors.Clear();
                foreach (var (key, value) in camel)
                {
                    validation.Errors[key] = value;
                }
            }

            if (!problem.Extensions.ContainsKey("code"))
            {
                var hasErrors = problem is HttpValidationProblemDetails || problem.Extensions.ContainsKey("errors");
                problem.Extensions["code"] = status == 400 && hasErrors ? "VALIDATION_FAILED" : Problems.CodeFor(status);
            }
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        // Since .NET 10 exceptions an IExceptionHandler handled are not logged; server faults must be.
        services.Configure<ExceptionHandlerOptions>(o =>
            o.SuppressDiagnosticsCallback = c => c.Exception is ApiException or BadHttpRequestException);
        // Bad requests become exceptions so ApiExceptionHandler can say what was wrong with them.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Enums by name only: a number ("role": 99) would otherwise be stored as a value no code knows.
        services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(
            new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)));
        return services;
    }
}
