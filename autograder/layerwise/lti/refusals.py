"""Typed refusals of a launch: each carries a bilingual message for the page and a log line."""

from __future__ import annotations


class LaunchRefused(Exception):
    """A launch or page the tool will not serve; never creates a session."""

    status = 401
    pt = "O acesso pelo LMS foi recusado."
    en = "The launch from the LMS was refused."

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or type(self).__name__)
        self.detail = detail

    @property
    def log_line(self) -> str:
        """What the log says (never a token or a secret)."""
        return f"lti refused: {type(self).__name__}: {self.detail}"


class BadRequest(LaunchRefused):
    status = 400
    pt = "O pedido do LMS está incompleto ou mal formado."
    en = "The LMS's request is incomplete or malformed."


class UnknownPlatform(LaunchRefused):
    pt = "Este LMS (emissor ou client id) não está registrado nesta ferramenta."
    en = "This LMS (issuer or client id) is not registered with this tool."


class BadSignature(LaunchRefused):
    pt = "A assinatura do lançamento não confere com as chaves do LMS."
    en = "The launch's signature does not match the LMS's keys."


class UnknownKey(LaunchRefused):
    pt = "O lançamento foi assinado com uma chave que o LMS não publica."
    en = "The launch was signed with a key the LMS does not publish."


class Expired(LaunchRefused):
    pt = "O lançamento expirou ou ainda não é válido; abra a atividade de novo no LMS."
    en = "The launch has expired or is not yet valid; open the activity again from the LMS."


class WrongAudience(LaunchRefused):
    pt = "O lançamento não é destinado a esta ferramenta (aud/azp)."
    en = "The launch is not addressed to this tool (aud/azp)."


class ReplayedNonce(LaunchRefused):
    pt = "Este lançamento já foi usado; abra a atividade de novo no LMS."
    en = "This launch was already used; open the activity again from the LMS."


class BadState(LaunchRefused):
    pt = ("O estado da sessão de login falta ou não confere. Se a atividade abriu dentro do LMS, o "
          "navegador pode estar bloqueando cookies de terceiros: abra-a numa nova janela.")
    en = ("The login state is missing or does not match. If the activity opened inside the LMS, the "
          "browser may be blocking third-party cookies: open it in a new window.")


class UnknownDeployment(LaunchRefused):
    pt = "Esta implantação (deployment) da ferramenta não está registrada."
    en = "This deployment of the tool is not registered."


class BadMessage(LaunchRefused):
    status = 400
    pt = "Tipo ou versão de mensagem LTI não suportado (apenas LTI 1.3.0)."
    en = "Unsupported LTI message type or version (LTI 1.3.0 only)."


class RoleNotAllowed(LaunchRefused):
    status = 403
    pt = "Seu papel neste curso não dá acesso a esta ferramenta."
    en = "Your role in this course gives no access to this tool."


class NotInstructor(LaunchRefused):
    status = 403
    pt = "Esta página é só para docentes e monitores."
    en = "This page is for instructors and teaching assistants only."


class OtherCourse(LaunchRefused):
    status = 403
    pt = "Você não está inscrito neste curso."
    en = "You are not enrolled in this course."


class RegistrationKey(LaunchRefused):
    status = 403
    pt = "O registro dinâmico precisa do endereço com a chave dada pelo administrador do layerwise."
    en = "Dynamic registration needs the address with the key given by the layerwise administrator."
