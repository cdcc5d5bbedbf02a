using System.Text;
using PolyStream.Recording;

// A recorder that the crash test kills with SIGKILL mid-write. It appends numbered frames, flushes
// every 100, and prints "flushed N" once frames 0..N-1 are on disk. Bounded: it stops by itself after 60 s.
var directory = args[0];
await using var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = directory, BlockBytes = 4096, MaxSegmentBytes = 64 * 1024 });
var deadline = DateTime.UtcNow.AddSeconds(60);
for (var i = 0; DateTime.UtcNow < deadline; i++)
{
    writer.Append(Encoding.UTF8.GetBytes($"{{\"event_type\":\"test\",\"n\":{i},\"pad\":\"{new string('x', i % 300)}\"}}"), i, (ushort)(i % 3));
    if ((i + 1) % 100 == 0)
    {
        await writer.FlushAsync();
        Console.WriteLine($"flushed {i + 1}");
    }
}
