using PolyStream.Books;
using PolyStream.Simulator.Engine;
using PolyStream.Simulator.Wire;

namespace PolyStream.Cli.Bench;

/// <summary>
/// Every token's <c>book</c> at evenly spaced positions of a <see cref="FrameLoop"/> lap (its checkpoints, the
/// first at the lap's start): the positions where a connection lets newly subscribed tokens join, each answered
/// with its book as it is there, so the deltas that follow apply to it and verify.
/// </summary>
/// <remarks>
/// The spacing bounds the memory: at most <see cref="MaxBooks"/> books are kept (the bench's are about 600 bytes
/// each), a token's book is kept only at the checkpoints where it changed since the one before, and the others
/// share it. At the bench's default (100 markets, 100,000 steps) a checkpoint falls every 1,000 steps, 15 ms of
/// the default load, and 18,690 books take 11.6 MB.
/// </remarks>
internal sealed class LapCheckpoints
{
    /// <summary>The most books kept: the spacing is chosen so every token's book at every checkpoint fits.</summary>
    public const int MaxBooks = 20_000;

    // Per token, its book (JSON, not yet framed) at each checkpoint.
    private readonly Dictionary<string, byte[][]> _books;

    private LapCheckpoints(int steps, int spacing, Dictionary<string, byte[][]> books)
    {
        Steps = steps;
        Spacing = spacing;
        _books = books;
    }

    /// <summary>Steps in one lap.</summary>
    public int Steps { get; }

    /// <summary>Steps from one checkpoint to the next.</summary>
    public int Spacing { get; }

    /// <summary>Every token of the lap.</summary>
    public IEnumerable<string> Assets => _books.Keys;

    /// <summary>Whether <paramref name="assetId"/> is one of the lap's tokens.</summary>
    public bool Contains(string assetId) => _books.ContainsKey(assetId);

    /// <summary>Whether <paramref name="position"/> (steps into the lap) is a checkpoint.</summary>
    public bool IsCheckpoint(int position) => position % Spacing == 0;

    /// <summary>The first checkpoint after <paramref name="position"/>; <see cref="Steps"/> (the next lap's start) after the last one.</summary>
    public int NextAfter(int position) => Math.Min(Steps, ((position / Spacing) + 1) * Spacing);

    /// <summary>The token's <c>book</c> at the checkpoint <paramref name="position"/> (JSON, not yet framed).</summary>
    public byte[] BookAt(string assetId, int position) => _books[assetId][position / Spacing];

    /// <summary>The spacing that keeps every token's book at every checkpoint of a lap within <see cref="MaxBooks"/>.</summary>
    public static int SpacingFor(int tokens, int steps) =>
        (int)Math.Clamp(((long)tokens * steps + MaxBooks - 1) / MaxBooks, 1, steps);

    /// <summary>Collects the checkpoints while a lap is rendered: told of each step's tokens, it writes the books of those that changed at each checkpoint.</summary>
    internal sealed class Recorder
    {
        private readonly MarketEngine _engine;
        private readonly int _steps;
        private readonly int _spacing;
        private readonly Dictionary<string, byte[][]> _books = new(StringComparer.Ordinal);
        private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

        /// <summary>Starts at the lap's start, where <paramref name="engine"/>'s books are <paramref name="start"/>; the engine must run without market lifecycle, so every book stays open.</summary>
        public Recorder(MarketEngine engine, IReadOnlyList<BookSummary> start, int steps)
        {
            _engine = engine;
            _steps = steps;
            _spacing = SpacingFor(start.Count, steps);
            var checkpoints = (steps + _spacing - 1) / _spacing;
            foreach (var book in start)
            {
                var books = new byte[checkpoints][];
                books[0] = WireWriter.Write(writer => WireWriter.WsBook(writer, book));
                _books[book.AssetId] = books;
            }
        }

        /// <summary>Notes tokens a frame of the current step concerns.</summary>
        public void Changed(IEnumerable<string> assetIds) => _changed.UnionWith(assetIds);

        /// <summary>Called before each step: at a checkpoint, keeps the book of every token changed since the last one.</summary>
        public void BeforeStep(int step)
        {
            if (step == 0 || step % _spacing != 0)
            {
                return;
            }

            var at = step / _spacing;
            foreach (var (assetId, books) in _books)
            {
                books[at] = _changed.Contains(assetId)
                    ? WireWriter.Write(writer => WireWriter.WsBook(writer, _engine.GetBook(assetId) ?? throw new InvalidOperationException($"The book of {assetId} closed while a lap was rendered: render without market lifecycle.")))
                    : books[at - 1];
            }

            _changed.Clear();
        }

        /// <summary>The lap's book of each token at its start: what the lap closes back to.</summary>
        public byte[] StartBook(string assetId) => _books[assetId][0];

        public LapCheckpoints Build() => new(_steps, _spacing, _books);
    }
}
