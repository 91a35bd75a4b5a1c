; ReceiptDesk for Windows: a per-user installer (no administrator) made with NSIS.
; It installs the one-folder bundle (receiptdesk.exe, the window, and receiptdesk-cli.exe, the
; command line) in %LOCALAPPDATA%\Programs\ReceiptDesk, adds a Start menu entry, offers
; ReceiptDesk in "Open with" for PDFs and images, and registers an uninstaller in Apps.
;   makensis /DVERSION=0.1.0 /DBUNDLE=dist\receiptdesk /DOUTFILE=dist\ReceiptDesk-0.1.0-setup.exe receiptdesk.nsi
; packaging/windows/build-installer.sh passes these (the version from receiptdesk/__init__.py).
; /DSTAND_IN stores the payload uncompressed: CI compiles the script over the Linux bundle.
Unicode true
!include "MUI2.nsh"
!include "FileFunc.nsh"

!ifndef VERSION
  !error "pass /DVERSION=x.y.z (from receiptdesk/__init__.py)"
!endif
!ifndef BUNDLE
  !error "pass /DBUNDLE=path\to\dist\receiptdesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "ReceiptDesk-${VERSION}-setup.exe"
!endif
!ifdef STAND_IN
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!define APP "ReceiptDesk"
!define PROGID "ReceiptDesk.Document"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define ICON "..\..\resources\icons\receiptdesk.ico"

Name "${APP}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "LegalCopyright" "The ReceiptDesk developers (MIT)"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_FINISHPAGE_RUN "$INSTDIR\receiptdesk.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open ReceiptDesk"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "..\..\LICENSE"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; "Open with ReceiptDesk" for one extension, without taking over what opens it by default.
!macro OpenWith EXT
  WriteRegStr HKCU "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKCU "Software\Classes\Applications\receiptdesk.exe\SupportedTypes" "${EXT}" ""
!macroend
!macro NoLongerOpenWith EXT
  DeleteRegValue HKCU "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}"
!macroend
!macro EachType MACRO
  !insertmacro ${MACRO} ".pdf"
  !insertmacro ${MACRO} ".jpg"
  !insertmacro ${MACRO} ".jpeg"
  !insertmacro ${MACRO} ".png"
  !insertmacro ${MACRO} ".tif"
  !insertmacro ${MACRO} ".tiff"
  !insertmacro ${MACRO} ".heic"
  !insertmacro ${MACRO} ".heif"
  !insertmacro ${MACRO} ".bmp"
  !insertmacro ${MACRO} ".webp"
!macroend

Section "ReceiptDesk"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  RMDir /r "$INSTDIR\_internal" ; an older version's libraries
  File /r "${BUNDLE}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortCut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\receiptdesk.exe" "" "$INSTDIR\receiptdesk.exe" 0

  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "Receipt or invoice"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\receiptdesk.exe,0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\receiptdesk.exe" "%1"'
  WriteRegStr HKCU "Software\Classes\Applications\receiptdesk.exe" "FriendlyAppName" "${APP}"
  WriteRegStr HKCU "Software\Classes\Applications\receiptdesk.exe\shell\open\command" "" '"$INSTDIR\receiptdesk.exe" "%1"'
  !insertmacro EachType OpenWith
  ; `receiptdesk-cli` from Run (Win+R) and from `start` finds the console program.
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\App Paths\receiptdesk-cli.exe" "" "$INSTDIR\receiptdesk-cli.exe"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "The ReceiptDesk developers"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\receiptdesk.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
  ; Tell Explorer the file associations changed (SHCNE_ASSOCCHANGED).
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APP}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\receiptdesk.exe"
  Delete "$INSTDIR\receiptdesk-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR" ; only when empty: the library is elsewhere (%LOCALAPPDATA%\ReceiptDesk) and stays
  !insertmacro EachType NoLongerOpenWith
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegKey HKCU "Software\Classes\Applications\receiptdesk.exe"
  DeleteRegKey HKCU "Software\Microsoft\Windows\CurrentVersion\App Paths\receiptdesk-cli.exe"
  DeleteRegKey HKCU "Software\${APP}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
