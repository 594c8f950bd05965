// libsodium (Debian's libsodium-dev): Argon2id (crypto_pwhash) and XChaCha20-Poly1305 for
// passphrase-protected private keys (docs/security.md).
#include <sodium.h>
