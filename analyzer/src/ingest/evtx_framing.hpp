// EVTX file and chunk framing: the 4 KiB file header, the 64 KiB chunks read one at a time from a
// forward-only source, their checksums, and the record slots inside a chunk.
//
// Layout facts (libevtx "Windows XML Event Log (EVTX)" format notes, checked against real exports):
// file header = "ElfFile\0", CRC32 of bytes 0..119 at 124; chunk = "ElfChnk\0", CRC32 of bytes
// 0..119 + 128..511 at 124, CRC32 of the record area 512..free_space at 52; records start at 512.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "ingest/byte_source.hpp"

namespace kmsdiag::evtx {

inline constexpr size_t kFileHeaderSize = 4096;
inline constexpr size_t kChunkSize = 65536;
inline constexpr size_t kChunkHeaderSize = 512;  // header + string and template offset tables
inline constexpr size_t kRecordHeaderSize = 24;  // magic, size, record id, written FILETIME
inline constexpr std::string_view kFileMagic{"ElfFile\0", 8};
inline constexpr std::string_view kChunkMagic{"ElfChnk\0", 8};

inline uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t le32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);  // the format and every supported host are little-endian
  return v;
}
inline uint64_t le64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

struct FileHeader {
  uint16_t major = 0;
  uint16_t minor = 0;
  uint16_t chunk_count = 0;
  uint64_t next_record_number = 0;  // the log record number the service would give its next record
  // Set while the service has the log open and cleared when it closes it cleanly: a file copied from
  // a running system keeps it, and its header counts (and chunks' free-space offsets) may lag behind.
  bool dirty = false;
  bool checksum_ok = false;
};

// Parses the first 4 KiB; nullopt when the magic is wrong.
std::optional<FileHeader> parse_file_header(const uint8_t* data, size_t size);

struct ChunkHeader {
  uint64_t first_record_number = 0;  // log record numbers (1, 2, ... over the whole log)
  uint64_t last_record_number = 0;
  uint64_t first_record_id = 0;  // EventRecordIDs
  uint64_t last_record_id = 0;
  uint32_t free_space = 0;  // offset of the first unused byte (end of the record area)
  bool header_checksum_ok = false;
  bool data_checksum_ok = false;
};

// Checks a full 64 KiB chunk. nullopt with `why` set when the header cannot be trusted at all
// (wrong magic, offsets outside the chunk); checksum mismatches are reported in the result instead.
std::optional<ChunkHeader> parse_chunk_header(const uint8_t* chunk, std::string& why);

// True for a chunk slot Windows preallocated but never used (all zero bytes).
bool chunk_is_blank(const uint8_t* chunk);

// One record slot inside a chunk.
struct RecordSlot {
  uint32_t offset = 0;  // of the record header, chunk-relative
  uint32_t size = 0;    // whole record, header and trailing size copy included
  uint64_t record_id = 0;
  uint64_t written = 0;  // FILETIME from the record header
  uint32_t binxml_offset() const { return offset + static_cast<uint32_t>(kRecordHeaderSize); }
  uint32_t binxml_end() const { return offset + size - 4; }
};

// Walks the record slots of one chunk, every offset bounded by the record area.
class RecordSlots {
 public:
  RecordSlots(const uint8_t* chunk, uint32_t area_end) : chunk_(chunk), end_(area_end) {}
  // The next slot; nullopt at the end of the area or when the slot at the cursor is damaged
  // (then `why` says how and the walk stops, since record boundaries are no longer known).
  std::optional<RecordSlot> next(std::string& why);
  uint32_t cursor() const { return pos_; }
  // After next() has ended: the next whole, well-framed record found at or past the cursor, up to
  // `chunk_end`. In a log copied while in use, the chunk header's free-space offset can be older
  // than the records written after it; a record found there counts only when it continues the chunk
  // (its id is above `last_id`). Lower ids are remnants of the chunk's previous use: they are
  // counted in `stale` and passed over, since the same events were read where they were first logged.
  std::optional<RecordSlot> recover(uint32_t chunk_end, uint64_t last_id, uint32_t& stale);

 private:
  const uint8_t* chunk_;
  uint32_t end_;
  uint32_t pos_ = kChunkHeaderSize;
};

// Pulls the file header and then one chunk at a time from a forward-only source.
class ChunkStream {
 public:
  explicit ChunkStream(ByteSource& in) : in_(in) {}
  // Fills `buf` (count x kChunkSize bytes) with the next `count` chunks. Returns the number of bytes
  // read: all of them for whole chunks, less when the end of input comes first, 0 at the end.
  size_t next_chunks(uint8_t* buf, size_t count);
  // Reads the file header block; returns the bytes read (kFileHeaderSize unless the input is short).
  size_t read_header(uint8_t* buf);
  uint64_t bytes() const { return bytes_; }

 private:
  size_t fill(uint8_t* buf, size_t n);
  ByteSource& in_;
  uint64_t bytes_ = 0;
};

}  // namespace kmsdiag::evtx
