/**
 * The fixed part of the generated dissector (Lua 5.2 to 5.4, Wireshark 3.6 and later): bit
 * operations, COBS, CRC-16/CCITT-FALSE, the protocol fields and the dissector function. It reads
 * the constants and the MESSAGES table that render-dissector.ts writes above it from the
 * catalogue. The checks and their order are those of the host's decoder (src/protocol/codec.ts),
 * so the frame error Wireshark shows is the one the host would count.
 */
export const DISSECTOR_RUNTIME = String.raw`-- Bit operations: bit32 (Lua 5.2), LuaBitOp (bit), or the Lua 5.3+ operators.
local band, bxor, lshift, rshift
if bit32 ~= nil then
  band, bxor, lshift, rshift = bit32.band, bit32.bxor, bit32.lshift, bit32.rshift
elseif bit ~= nil then
  band, bxor, lshift, rshift = bit.band, bit.bxor, bit.lshift, bit.rshift
else
  band, bxor, lshift, rshift = load("return function(a, b) return a & b end, function(a, b) return a ~ b end, function(a, n) return (a << n) & 0xffffffff end, function(a, n) return a >> n end")()
end

-- CRC-16/CCITT-FALSE (poly 0x1021, init 0xffff, no reflection, no final xor).
local CRC_TABLE = {}
for i = 0, 255 do
  local crc = lshift(i, 8)
  for _ = 1, 8 do
    if band(crc, 0x8000) ~= 0 then
      crc = bxor(band(lshift(crc, 1), 0xffff), 0x1021)
    else
      crc = band(lshift(crc, 1), 0xffff)
    end
  end
  CRC_TABLE[i] = crc
end

local function crc16(bytes, from, to)
  local crc = 0xffff
  for i = from, to - 1 do
    crc = bxor(band(lshift(crc, 8), 0xffff), CRC_TABLE[bxor(rshift(crc, 8), bytes[i])])
  end
  return crc
end

-- COBS decode of src[0 .. n-1]; returns the body (0-based) and its length, or nil when malformed.
local function cobs_decode(src, n)
  local out, read, write = {}, 0, 0
  while read < n do
    local code = src[read]
    if code == 0 or read + code > n then return nil end
    read = read + 1
    for _ = 1, code - 1 do
      local b = src[read]
      read = read + 1
      if b == 0 then return nil end
      out[write] = b
      write = write + 1
    end
    if code ~= 0xff and read < n then
      out[write] = 0
      write = write + 1
    end
  end
  return out, write
end

local proto = Proto("shieldlink", "shieldlink serial ICD")
local DIRECTIONS = { [0] = "host-to-device", [1] = "device-to-host", [2] = "unknown" }
local TYPE_NAMES = {}
for code, message in pairs(MESSAGES) do TYPE_NAMES[code] = message.name end

local hf = {
  link = ProtoField.string("shieldlink.link", "Link"),
  direction = ProtoField.uint8("shieldlink.direction", "Direction", base.DEC, DIRECTIONS),
  partial = ProtoField.bool("shieldlink.partial", "Partial (no closing 0x00)"),
  wire = ProtoField.bytes("shieldlink.wire", "Wire bytes (COBS block)"),
  version = ProtoField.uint8("shieldlink.version", "Protocol version", base.DEC),
  type = ProtoField.uint8("shieldlink.type", "Message type", base.HEX, TYPE_NAMES),
  seq = ProtoField.uint16("shieldlink.seq", "Sequence number", base.DEC),
  flags = ProtoField.uint8("shieldlink.flags", "Flags", base.HEX),
  flag_ack = ProtoField.bool("shieldlink.flags.ack_requested", "ACK requested", 8, nil, 0x01),
  flag_retx = ProtoField.bool("shieldlink.flags.retransmission", "Retransmission", 8, nil, 0x02),
  flag_reserved = ProtoField.uint8("shieldlink.flags.reserved", "Reserved bits", base.HEX, nil, 0xfc),
  crc = ProtoField.uint16("shieldlink.crc", "CRC-16/CCITT-FALSE", base.HEX),
  crc_computed = ProtoField.uint16("shieldlink.crc.computed", "Computed CRC", base.HEX),
  crc_status = ProtoField.uint8("shieldlink.crc.status", "CRC status", base.DEC, { [0] = "Bad", [1] = "Good", [2] = "Unverified" }),
  error = ProtoField.string("shieldlink.error", "Frame error"),
  error_detail = ProtoField.string("shieldlink.error.detail", "Frame error detail"),
}
local all_fields = {}
for _, field in pairs(hf) do all_fields[#all_fields + 1] = field end
for _, message in pairs(MESSAGES) do
  for _, field in ipairs(message.fields) do all_fields[#all_fields + 1] = field.hf end
end
proto.fields = all_fields

local ef = {
  crc_bad = ProtoExpert.new("shieldlink.crc.bad", "Bad CRC", expert.group.CHECKSUM, expert.severity.ERROR),
  rejected = ProtoExpert.new("shieldlink.rejected", "Frame rejected by the ICD", expert.group.MALFORMED, expert.severity.ERROR),
  direction = ProtoExpert.new("shieldlink.direction.unexpected", "Message never sent in this direction", expert.group.PROTOCOL, expert.severity.WARN),
  partial = ProtoExpert.new("shieldlink.partial.expert", "Bytes without a closing delimiter", expert.group.MALFORMED, expert.severity.WARN),
}
proto.experts = { ef.crc_bad, ef.rejected, ef.direction, ef.partial }

local MAX_SAFE_U64_HIGH = 0x1fffff

-- A payload field's value check (ICD-FRM-008); returns the error detail or nil.
local function check_field(message, field, range)
  if field.kind == "enum" then
    local code = range:uint()
    if code >= field.count then return string.format("%s.%s: code %d is not defined", message.name, field.name, code) end
  elseif field.kind == "u64" then
    if range:range(4, 4):le_uint() > MAX_SAFE_U64_HIGH then return string.format("%s.%s: u64 above 2^53-1", message.name, field.name) end
  elseif field.kind == "f32" or field.kind == "f64" then
    local value = range:le_float()
    if value ~= value then return string.format("%s.%s: NaN", message.name, field.name) end
    if value == math.huge or value == -math.huge then return string.format("%s.%s: not finite", message.name, field.name) end
  end
  return nil
end

function proto.dissector(tvb, pinfo, tree)
  pinfo.cols.protocol = "SHIELDLINK"
  local len = tvb:len()
  local root = tree:add(proto, tvb(), "shieldlink frame")
  if len < 6 or tvb(0, 2):string() ~= CAPTURE_MAGIC or tvb(2, 1):uint() ~= CAPTURE_VERSION then
    root:add_proto_expert_info(ef.rejected, "not a shieldlink capture record (layout " .. CAPTURE_VERSION .. ")")
    pinfo.cols.info = "not a shieldlink capture record"
    return
  end
  local direction = tvb(3, 1):uint()
  local partial = band(tvb(4, 1):uint(), 1) ~= 0
  local name_length = tvb(5, 1):uint()
  if 6 + name_length > len then
    root:add_proto_expert_info(ef.rejected, "link name runs past the end of the packet")
    return
  end
  local link = "?"
  if name_length > 0 then
    root:add(hf.link, tvb(6, name_length))
    link = tvb(6, name_length):string()
  end
  root:add(hf.direction, tvb(3, 1))
  root:add(hf.partial, tvb(4, 1), partial)
  if partial then root:add_proto_expert_info(ef.partial) end
  if direction == 0 then
    pinfo.cols.src, pinfo.cols.dst = "host", link
  elseif direction == 1 then
    pinfo.cols.src, pinfo.cols.dst = link, "host"
  end

  local error_category, error_detail
  local function fail(category, detail)
    if error_category == nil then error_category, error_detail = category, detail end
  end

  local wire_offset = 6 + name_length
  local wire_length = len - wire_offset
  local block_length = wire_length
  if block_length > 0 and tvb(wire_offset + block_length - 1, 1):uint() == 0 then block_length = block_length - 1 end
  if wire_length > 0 then root:add(hf.wire, tvb(wire_offset, wire_length)) end

  local body, body_length
  if block_length == 0 then
    fail("length", "empty frame")
  elseif block_length > MAX_ENCODED_FRAME_BYTES then
    fail("length", string.format("frame of %d encoded bytes exceeds %d", block_length, MAX_ENCODED_FRAME_BYTES))
  else
    local src = {}
    for i = 0, block_length - 1 do src[i] = tvb(wire_offset + i, 1):uint() end
    body, body_length = cobs_decode(src, block_length)
    if body == nil then fail("cobs", "malformed COBS block") end
  end

  local summary = ""
  if body ~= nil then
    if body_length < HEADER_BYTES + CRC_BYTES then
      fail("length", string.format("body of %d bytes is shorter than header and CRC", body_length))
    elseif body_length > MAX_BODY_BYTES then
      fail("length", string.format("body of %d bytes exceeds %d", body_length, MAX_BODY_BYTES))
    end
  end
  if body ~= nil and body_length >= HEADER_BYTES + CRC_BYTES then
    local bytes = ByteArray.new()
    bytes:set_size(body_length)
    for i = 0, body_length - 1 do bytes:set_index(i, body[i]) end
    local btvb = bytes:tvb("COBS-decoded body")
    local crc_range = btvb(body_length - 2, 2)
    local crc_wire = crc_range:le_uint()
    local crc_computed = crc16(body, 0, body_length - 2)
    local version = body[0]
    local type_code = body[1]
    local seq = body[2] + body[3] * 256
    local flags = body[4]
    local message = MESSAGES[type_code]
    local payload_length = body_length - HEADER_BYTES - CRC_BYTES

    if crc_wire ~= crc_computed then
      fail("crc", string.format("crc 0x%04x != computed 0x%04x", crc_wire, crc_computed))
    end
    if version ~= PROTOCOL_VERSION then fail("version", string.format("version %d, expected %d", version, PROTOCOL_VERSION)) end
    if band(flags, 0xfc) ~= 0 then fail("field", string.format("reserved flag bits set: 0x%02x", flags)) end
    if message == nil then
      fail("unknown-type", string.format("type code 0x%02x is not in the catalogue", type_code))
    elseif payload_length ~= message.size then
      fail("length", string.format("%s payload is %d bytes, expected %d", message.name, payload_length, message.size))
    end

    local header = root:add(btvb(0, HEADER_BYTES), "Header")
    header:add(hf.version, btvb(0, 1))
    header:add(hf.type, btvb(1, 1))
    header:add_le(hf.seq, btvb(2, 2))
    local flags_item = header:add(hf.flags, btvb(4, 1))
    flags_item:add(hf.flag_ack, btvb(4, 1))
    flags_item:add(hf.flag_retx, btvb(4, 1))
    flags_item:add(hf.flag_reserved, btvb(4, 1))

    if message ~= nil then
      local payload = root:add(btvb(HEADER_BYTES, payload_length), message.name)
      if direction <= 1 and message.direction ~= "both" and message.direction ~= DIRECTIONS[direction] then
        payload:add_proto_expert_info(ef.direction, message.name .. " is only sent " .. message.direction)
      end
      local shown = {}
      for _, field in ipairs(message.fields) do
        if field.offset + field.size <= payload_length then
          local range = btvb(HEADER_BYTES + field.offset, field.size)
          payload:add_le(field.hf, range)
          if payload_length == message.size then
            local problem = check_field(message, field, range)
            if problem ~= nil then fail("field", problem) end
          end
          if #shown < 3 then
            local value
            if field.kind == "enum" then value = field.values[range:uint()] or range:uint() elseif field.kind == "u64" then value = tostring(range:le_uint64()) elseif field.kind == "f32" or field.kind == "f64" then value = string.format("%g", range:le_float()) elseif string.sub(field.kind, 1, 1) == "i" then value = range:le_int() else value = range:le_uint() end
            shown[#shown + 1] = field.name .. "=" .. tostring(value)
          end
        end
      end
      summary = string.format("%s seq=%d %s", message.name, seq, table.concat(shown, " "))
    else
      summary = string.format("type 0x%02x seq=%d", type_code, seq)
    end

    local crc_item = root:add_le(hf.crc, crc_range)
    crc_item:add(hf.crc_computed, crc_range, crc_computed)
    if crc_wire == crc_computed then
      crc_item:add(hf.crc_status, crc_range, 1)
    else
      crc_item:add(hf.crc_status, crc_range, 0)
      crc_item:add_proto_expert_info(ef.crc_bad, string.format("Bad CRC 0x%04x, computed 0x%04x", crc_wire, crc_computed))
    end
  else
    root:add(hf.crc_status, 2)
  end

  local arrow = ({ [0] = "host -> " .. link, [1] = link .. " -> host" })[direction] or link
  if error_category ~= nil then
    local item = root:add(hf.error, error_category)
    item:add(hf.error_detail, error_detail)
    item:add_proto_expert_info(ef.rejected, error_category .. ": " .. error_detail)
    pinfo.cols.info = string.format("%s  [%s: %s] %s", arrow, error_category, error_detail, summary)
  else
    pinfo.cols.info = string.format("%s  %s", arrow, summary)
  end
  root:append_text(string.format(", %s, %s", arrow, error_category or "ok"))
end

local encap = wtap_encaps or wtap
DissectorTable.get("wtap_encap"):add(encap.USER0, proto)
`;
