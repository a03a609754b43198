namespace GifLab.Core.Features.Kernels;

/// <summary>
/// Dense ids for colour keys (any int, e.g. packed RGB, or a negative marker): the first key seen gets id 0, the next
/// new one id 1, and so on. Open addressing with linear probing, grown at half load; the last key is remembered, so
/// runs of one colour skip the hash. Not thread-safe: one instance per call.
/// </summary>
internal sealed class ColorIndex
{
    private int[] _keys;
    private int[] _ids;          // id + 1; 0 = empty slot
    private int _mask;
    private int _lastKey;
    private int _lastId = -1;

    public ColorIndex(int capacity = 1024)
    {
        var size = 16;
        while (size < capacity * 2) size <<= 1;
        _keys = new int[size];
        _ids = new int[size];
        _mask = size - 1;
    }

    /// <summary>Distinct keys seen since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Forgets every key (keeps the capacity).</summary>
    public void Clear()
    {
        if (Count > 0) Array.Clear(_ids);
        Count = 0;
        _lastId = -1;
    }

    /// <summary>The id of <paramref name="key"/>, adding it when new.</summary>
    public int IdOf(int key)
    {
        if (key == _lastKey && _lastId >= 0) return _lastId;
        var slot = Slot(key, _mask);
        while (true)
        {
            var stored = _ids[slot];
            if (stored == 0) break;
            if (_keys[slot] == key) { _lastKey = key; return _lastId = stored - 1; }
            slot = (slot + 1) & _mask;
        }
        var id = Count++;
        _keys[slot] = key;
        _ids[slot] = id + 1;
        if (Count * 2 > _ids.Length) Grow();
        _lastKey = key;
        return _lastId = id;
    }

    private void Grow()
    {
        var keys = _keys;
        var ids = _ids;
        _keys = new int[keys.Length * 2];
        _ids = new int[ids.Length * 2];
        _mask = _ids.Length - 1;
        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] == 0) continue;
            var slot = Slot(keys[i], _mask);
            while (_ids[slot] != 0) slot = (slot + 1) & _mask;
            _keys[slot] = keys[i];
            _ids[slot] = ids[i];
        }
    }

    private static int Slot(int key, int mask) => (int)((uint)key * 0x9E3779B1u >> 7) & mask;
}
