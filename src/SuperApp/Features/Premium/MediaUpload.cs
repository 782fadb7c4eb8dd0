namespace SuperApp.Features.Premium;

public sealed record StoredMedia(MediaType Type, string FileName, long Size);

/// <summary>
/// Writes one uploaded file to the media folder as it arrives (never whole in memory), checking
/// its leading bytes against the allowed types and its size against the limit on the way.
/// </summary>
public static class MediaUpload
{
    public static async Task<(StoredMedia? Media, ProblemHttpResult? Problem)> SaveAsync(
        Stream body, string? clientName, MediaOptions options, MediaStorage storage, CancellationToken ct)
    {
        var buffer = new byte[81_920];
        var head = 0;
        int read;
        while (head < MediaTypes.SniffLength && (read = await body.ReadAsync(buffer.AsMemory(head, buffer.Length - head), ct)) > 0)
        {
            head += read;
        }

        var type = MediaTypes.Sniff(buffer.AsSpan(0, head), options.AllowedTypes);
        if (type is null)
        {
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "MEDIA_TYPE_NOT_ALLOWED",
                "This kind of file cannot be uploaded.",
                $"Allowed: {string.Join(", ", options.AllowedTypes)}. The type is read from the file's content."));
        }

        // A name that claims another type is refused too: what it says and what it is must agree.
        var extension = Path.GetExtension(clientName ?? "").ToLowerInvariant();
        if (extension.Length > 0 && !type.Extensions.Contains(extension))
        {
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "MEDIA_TYPE_MISMATCH",
                "The file name does not match the file's content.",
                $"The content is {type.Name}; name it {string.Join(" or ", type.Extensions)}."));
        }

        Directory.CreateDirectory(storage.Root);
        var partial = storage.PathOf(MediaStorage.NewFileName(".part"));
        try
        {
            long size = head;
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81_920, useAsync: true))
            {
                await file.WriteAsync(buffer.AsMemory(0, head), ct);
                while (size <= options.MaxUploadBytes && (read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }

            if (size > options.MaxUploadBytes)
            {
                File.Delete(partial);
                return (null, Problems.Of(StatusCodes.Status413PayloadTooLarge, "MEDIA_TOO_LARGE", "The file is too large.",
                    $"Files may be at most {options.MaxUploadBytes} bytes."));
            }

            var name = MediaStorage.NewFileName(type.Extension);
            File.Move(partial, storage.PathOf(name));
            return (new StoredMedia(type, name, size), null);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }
}
