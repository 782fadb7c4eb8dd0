using SuperApp.Features.Auth;
using SuperApp.Features.Users;

namespace SuperApp.Features.Admin;

/// <summary><c>superapp admin create</c>: the first admin has to come from somewhere other than the API.</summary>
public static class CreateAdminCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string email, string password, string? username)
    {
        if (!new EmailAddressAttribute().IsValid(email) || password.Length < 8)
        {
            await Console.Error.WriteLineAsync("admin create needs --email (a valid address) and --password (8+ characters).");
            return 2;
        }

        var db = services.GetRequiredService<AppDbContext>();
        var passwords = services.GetRequiredService<Passwords>();
        var now = services.GetRequiredService<TimeProvider>().UtcNow();
        email = email.Trim().ToLowerInvariant();
        username = (username ?? email.Split('@')[0]).ToLowerInvariant();

        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email);
        if (user is null)
        {
            user = new User { Email = email, Username = username, PasswordHash = "", CreatedAt = now };
            db.Users.Add(user);
        }

        user.SetRole(Role.Admin);
        user.Status = UserStatus.Active;
        using (var slot = await passwords.ReserveAsync(CancellationToken.None))
        {
            user.PasswordHash = slot.Hash(user, password);
        }

        user.UpdatedAt = now;
        await db.SaveChangesAsync();
        Console.WriteLine($"Admin {user.Email} ({user.Id}) is ready.");
        return 0;
    }
}
