#include "service/person_uuid.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>

#include "engine/str_cat.h"

namespace actiond::service {
namespace {

// 932979b4-65c3-4424-8467-0b66ec27bc22 as bytes.
constexpr std::array<uint8_t, 16> kPersonNamespace = {
    0x93, 0x29, 0x79, 0xb4, 0x65, 0xc3, 0x44, 0x24, 0x84, 0x67, 0x0b, 0x66, 0xec, 0x27, 0xbc, 0x22};

}  // namespace

void PersonUuid(ProjectId project, std::string_view distinct_id, std::string* out) {
  const std::string name = engine::StrCat({std::to_string(project), ":", distinct_id});
  std::array<uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  // SHA-1 cannot fail on in-memory input with a fresh context; a failure would leave zeros and
  // still give a well-formed (if shared) uuid rather than undefined bytes.
  EVP_DigestInit_ex(context, EVP_sha1(), nullptr);
  EVP_DigestUpdate(context, kPersonNamespace.data(), kPersonNamespace.size());
  EVP_DigestUpdate(context, name.data(), name.size());
  EVP_DigestFinal_ex(context, digest.data(), &digest_size);
  EVP_MD_CTX_free(context);

  digest[6] = static_cast<uint8_t>((digest[6] & 0x0f) | 0x50);  // version 5
  digest[8] = static_cast<uint8_t>((digest[8] & 0x3f) | 0x80);  // RFC 4122 variant
  constexpr char kHex[] = "0123456789abcdef";
  out->clear();
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out->push_back('-');
    out->push_back(kHex[digest[i] >> 4]);
    out->push_back(kHex[digest[i] & 0x0f]);
  }
}

}  // namespace actiond::service
