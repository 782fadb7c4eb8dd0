// Namespaces most feature files use. Only the framework's, Data's and Platform's: Features may use
// Platform and Data, never the reverse, and a global using of a feature would hide such a use.
global using System.ComponentModel.DataAnnotations;
global using System.Security.Claims;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.Extensions.Options;
global using SuperApp.Data;
global using SuperApp.Platform;
global using SuperApp.Platform.Audit;
global using SuperApp.Platform.Auth;
global using SuperApp.Platform.Errors;
global using SuperApp.Platform.Http;
